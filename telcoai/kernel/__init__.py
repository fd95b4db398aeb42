"""The kernel side: everything a chapter runs, and so everything a chapter can depend on.

The data package and its validation (``validate``, ``tables``, ``vocab``),
dates and currency (``currency``), the analysis (``capex``, ``registry``,
``risks``, ``economics``, ``scenarios``, ``context``, ``claims``), the figures
each chapter shows (``findings``), its charts (``charts``, drawn through the
page protocol of ``chartpage``), tables and numbers as the reader sees them
(``display``, ``fmt``), and what the report says about itself (``citation``,
``editions``, ``datadoc``, ``site``).
"""
