"""Scan: which files a repository has and what each one is."""

from syspatterns.scan.classify import classify
from syspatterns.scan.discover import ScannedFile, ScanResult, scan_repository

__all__ = ["ScanResult", "ScannedFile", "classify", "scan_repository"]
