from django.conf import settings

FRAME_SESSION_KEY = "lti_frame_origins"


class LtiFrameMiddleware:
    """Let the LMS that launched this session show our pages in its frame, and no one else.

    Listed after the CSP and X-Frame-Options middleware so that it runs first on the way
    out: it only adds the platform's origins for sessions that began with an LTI launch.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        origins = session.get(FRAME_SESSION_KEY) if session is not None else None
        if origins and not hasattr(response, "_csp_config"):
            response._csp_config = {**settings.SECURE_CSP, "frame-ancestors": list(origins)}
            response.xframe_options_exempt = True
        return response
