"""Vision datasets read from their real on-disk formats."""
__all__ = []
