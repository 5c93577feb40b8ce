"""The reference chat server of protocol v1. Imports only domain and protocol from the package."""
