"""One read of the data's token per request (``data_version.one_read_per_request``)."""

from contracts.caching.data_version import one_read_per_request


class DataStateMiddleware:
    """The session, the signed-in person and a kept page of one request are looked up under
    one read of the data's token (read again only after the request itself wrote)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with one_read_per_request():
            return self.get_response(request)
