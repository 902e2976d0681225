"""Read and check: statement files, their front matter, brands and labels."""
