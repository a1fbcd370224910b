"""The document on disk: generated blocks between markers, human text kept, atomic writes."""
