"""The API's OpenAPI description: routes, operation names and, later, validation and filtering."""
