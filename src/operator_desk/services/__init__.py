"""Use cases that join net, store and platform; they emit Qt-free events. No Qt."""
