"""GraphQL: documents parsed once, held to limits, authorized field by field."""
