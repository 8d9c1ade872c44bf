-- Usernames are unique regardless of case ("Alice" and "alice" are one name to a person reading a log).
-- The application checks first; this index decides races between concurrent registrations.
CREATE UNIQUE INDEX accounts_username_lower_uq ON accounts (lower(username));
