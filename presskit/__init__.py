"""presskit: build branded PDF, DOCX, HTML and wire copy from Markdown press statements."""
