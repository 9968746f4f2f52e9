"""Authorization: roles and scopes, object-level ownership, function level, mass assignment."""
