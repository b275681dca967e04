"""Country reports: `build_report` gathers the measures, `render_html` writes one offline page."""

from multivector.report.build import ReportData, Tables, build_report
from multivector.report.html import render_html

__all__ = ["ReportData", "Tables", "build_report", "render_html"]
