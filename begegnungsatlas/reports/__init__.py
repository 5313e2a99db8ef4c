"""PDF reports rendered with Typst (the ``typst`` wheel; no system dependencies).

Templates are ``.typ`` files shipped as package data in ``reports/templates``; the data goes in as one JSON
string (``sys.inputs.data``), so templates never see Python objects and text is never spliced into markup.
"""

from .pdf import ReportError, render_pdf, render_png

__all__ = ["ReportError", "render_pdf", "render_png"]
