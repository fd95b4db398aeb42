"""The build side: what turns executed chapters into the published site.

The Sphinx extension (lineage, head of every page, edition line), figure and
dataset downloads, the PDF edition, the bibliography generated from the data,
publishing and the change summary. It may use the kernel side
(:mod:`telcoai.kernel`); the kernel side never imports it. Only the lineage
recorder runs in a chapter's kernel, and no module here is ever a chapter's
input: a change to one re-renders pages without re-executing a chapter.
"""
