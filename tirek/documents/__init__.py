"""Rendering documents: PDF from HTML (``pdf``) and DOCX built in code (``docx``).

No models and no Tirek imports: an app builds the content of its document
(a tested context builder, STYLE.md 9) and hands it to these helpers. The
assignment order (tirek/assignment/order.py) is the first user; the evidence
lists come next.
"""
