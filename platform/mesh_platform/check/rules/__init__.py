"""The platform's rules, one module per category. Every function decorated with @rule is discovered."""
