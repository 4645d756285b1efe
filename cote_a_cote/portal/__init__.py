"""The provider portal and the public partner application."""
