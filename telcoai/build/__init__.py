"""The build side: what turns executed chapters into the published site.

The Sphinx extension (lineage, head of every page, edition line), figure and
dataset downloads, the PDF edition, the bibliography generated from the data,
publishing and the change summary. Nothing here runs in a chapter's kernel,
so a change to these modules re-renders pages without re-executing a chapter.
"""
