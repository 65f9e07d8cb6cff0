"""Small local stand-ins for the platforms' HTTP APIs, recording what the real clients send them."""
