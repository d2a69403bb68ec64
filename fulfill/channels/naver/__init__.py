"""Naver Commerce API (Smart Store). One fulfill Order per Naver order (orderId); each of its
product orders (productOrderId) is one line, and the platform line id that dispatch and
claims name. See mapper.py for the statuses, claims.py for the claims."""
