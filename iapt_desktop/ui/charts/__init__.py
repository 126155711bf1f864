"""Charts painted with QPainter (QtCharts is not in PySide6-Essentials)."""
