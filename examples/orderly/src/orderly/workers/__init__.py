"""Background processing: the Celery application, its tasks and the periodic schedule."""
