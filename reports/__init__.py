"""Meeting-ready take-aways (issue 18): a one-page A4 PDF and PPTX slides of the overview
for leadership, the same for one agency, e-mail delivery, subscriptions and at-risk alerts.

Dependencies point one way: ``reports -> metrics -> data``; nothing here imports
streamlit or the dashboard, so the command line and the timer run without them. Every
figure comes from the metrics functions the dashboard pages use (``metrics.overview``,
``metrics.outlook``, ``metrics.projection``, ``metrics.engagement``, ``metrics.coverage``).

- ``reports.content``: the figures of one report, assembled from the metrics layer.
- ``reports.pdf``: HTML + CSS laid out by Debian's chromium (print to PDF, A4).
- ``reports.slides``: PPTX (python-pptx), a slide per section, native tables and text.
- ``reports.delivery``: SMTP sending, subscriptions, at-risk alerts, ``run_due``.
- ``python -m reports``: the command line (``pdf``, ``pptx``, ``send``, ``run-due``).
"""
