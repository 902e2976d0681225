"""The newsroom: every published statement as a static site with indexes, feeds, a sitemap and search."""
