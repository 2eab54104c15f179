"""The parts of the identifying-details check (``reports/publication.py``): text normalisation,
dates in every common written form, and possible personal names from a name list."""
