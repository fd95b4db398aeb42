// Cut stylesheets of the built site down to the rules its pages and scripts can use.
// Usage: node purge.mjs SITE_DIR SOURCE_CSS TARGET_IN_SITE [SOURCE_CSS TARGET_IN_SITE ...]
// Each source is the stylesheet's own file (never the site's copy), so every build purges from the whole of it.
import { PurgeCSS } from "purgecss";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [site, ...pairs] = process.argv.slice(2);
for (let i = 0; i < pairs.length; i += 2) {
  const [source, target] = [pairs[i], pairs[i + 1]];
  const [result] = await new PurgeCSS().purge({
    content: [join(site, "**/*.html"), join(site, "_static/**/*.js")],
    css: [{ raw: readFileSync(source, "utf8") }],
    // States the theme's and Bootstrap's scripts set at run time, and the theme switch's attributes.
    safelist: { standard: ["show", "showing", "collapsing", "fade", "active", "hiding"], greedy: [/data-theme/, /data-mode/] },
    fontFace: false,
    keyframes: false,
    variables: false,
  });
  writeFileSync(join(site, target), result.css);
  console.log(`${target}: ${readFileSync(source).length} bytes, ${Buffer.byteLength(result.css)} kept`);
}
