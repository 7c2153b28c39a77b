"""The engine of the bilingual edition: load, validate, link, render, index."""
