"""The web app's routes by area, each a router with the role it needs."""
