"""`mesh handover`: move models from one domain (the monolith, usually) to the domain that should own them."""
