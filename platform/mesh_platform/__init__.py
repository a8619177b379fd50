"""The data-mesh platform: governs, builds and reports on the domain-owned dbt project it sits in."""

__version__ = "0.1.0"
