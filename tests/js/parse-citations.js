// Parse citation exports with citation-js, as a reference manager would, and print what it read.
// Usage: node parse-citations.js FILE...   (BibTeX .bib, RIS .ris, CSL-JSON .json)
// Prints a JSON array: for each file, the items citation-js found and their APA rendering.
"use strict";
const fs = require("fs");
const Cite = require("citation-js");

const FORMATS = { ".bib": "@biblatex/text", ".ris": "@ris/file", ".json": "@csl/list+object" };

function names(item) {
  return (item.author || []).map((a) => a.literal || [a.given, a.family].filter(Boolean).join(" "));
}

const results = process.argv.slice(2).map((file) => {
  const extension = file.slice(file.lastIndexOf("."));
  let text = fs.readFileSync(file, "utf8");
  const input = extension === ".json" ? JSON.parse(text) : text;
  const cite = new Cite(input, { forceType: FORMATS[extension] });
  return {
    file,
    items: cite.data.map((item) => ({
      type: item.type,
      title: item.title,
      authors: names(item),
      year: item.issued && item.issued["date-parts"] ? item.issued["date-parts"][0][0] : null,
      version: item.version || item.edition || null,
      URL: item.URL || null,
      DOI: item.DOI || null,
      publisher: Array.isArray(item.publisher) ? item.publisher.join("; ") : item.publisher || null,
    })),
    apa: cite.format("bibliography", { format: "text", template: "apa", lang: "en-US" }).trim(),
  };
});
process.stdout.write(JSON.stringify(results, null, 1));
