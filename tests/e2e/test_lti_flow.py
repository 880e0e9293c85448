"""Source Quiz inside an LMS, in a real browser: the course page frames the tool.

The test platform (`tests/lti_platform.py`) plays the LMS: its course page holds an
iframe that starts the OIDC login at the tool; the LMS answers with a signed id_token
posted back into the frame. A teacher places a quiz by deep linking, a student takes
it in the frame, and the score arrives at the LMS, through a score endpoint that fails
twice first.
"""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.utils import timezone
from lti_tool.models import Key
from playwright.sync_api import expect

from lti.models import GradeSync, GradeSyncState
from lti.tasks import send_due_grades
from quiz.models import Classroom
from tests.e2e.steps import answer_with_mouse, plan_answer
from tests.factories import QuizFactory
from tests.lti_platform import INSTRUCTOR, LEARNER, LmsPlatform, PendingLaunch, PlatformUser

pytestmark = pytest.mark.e2e

TEACHER = PlatformUser(sub="teacher-42", given_name="Maria", family_name="Ivanova", roles=[INSTRUCTOR])
STUDENT = PlatformUser(sub="student-7", given_name="Lev", family_name="Petrov", roles=[LEARNER])


@pytest.fixture
def platform(live_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    cache.clear()
    running = LmsPlatform(host=urlsplit(live_server.url).hostname).start()
    Key.objects.generate()
    registration = running.register_with_tool(
        tool_keys=Key.objects.as_jwks(), tool_launch_url=f"{live_server.url}/lti/launch/"
    )
    running.tool_login_url = f"{live_server.url}/lti/login/{registration.uuid}/"
    yield running
    running.stop()


def test_teacher_places_a_quiz_student_takes_it_in_the_frame_and_the_lms_gets_one_score(
    live_server, platform, new_context, screenshot
):
    quiz = QuizFactory(questions=2, title="Chips and sanctions", description="Two questions on the article.")

    # The teacher adds Source Quiz to the course and picks the quiz (deep linking).
    teacher = new_context().new_page()
    teacher.goto(
        platform.course_url(PendingLaunch(TEACHER, "LtiDeepLinkingRequest"), tool_login_url=platform.tool_login_url)
    )
    tool = teacher.frame_locator("#tool")
    expect(tool.get_by_role("heading", name=re.compile("Place a quiz"))).to_be_visible()
    screenshot(teacher, "lti-deep-link-in-frame")
    tool.get_by_label(re.compile("Chips and sanctions")).check()
    tool.get_by_role("button", name="Place this quiz").click()
    expect(tool.get_by_text("Placed in the course.")).to_be_visible()
    (reply,) = platform.deep_link_replies
    (item,) = reply["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["custom"]["quiz"] == quiz.slug

    # A student opens the placed link: signed in without a password, the quiz in the frame.
    lineitem = platform.lineitem_url()
    launch = PendingLaunch(
        STUDENT,
        "LtiResourceLinkRequest",
        resource_link_id="link-1",
        custom={"quiz": quiz.slug, "due_at": "2030-01-31T17:00:00Z"},
        lineitem=lineitem,
    )
    platform.score_failures_left = 2  # the LMS is having a bad minute
    student = new_context().new_page()
    student.goto(platform.course_url(launch, tool_login_url=platform.tool_login_url))
    tool = student.frame_locator("#tool")
    expect(tool.get_by_text(re.compile("Signed in as"))).to_contain_text("Lev Petrov")
    screenshot(student, "lti-launch-in-frame")
    tool.get_by_role("link", name="Continue").click()
    tool.get_by_role("button", name="Start the quiz").click()
    expect(tool.locator("#question-panel")).to_be_visible()

    from quiz.models import Attempt

    attempt = Attempt.objects.get(student__lti_users__sub=STUDENT.sub)
    answer_with_mouse(tool, plan_answer(attempt, 1, right=True))
    expect(tool.locator("#feedback")).to_be_visible()
    tool.get_by_role("link", name=re.compile("Next question")).first.click()
    answer_with_mouse(tool, plan_answer(attempt, 2, right=False))
    expect(tool.locator("#feedback")).to_be_visible()

    # The first try reached the LMS and failed; the worker retries with backoff.
    sync = GradeSync.objects.get()
    assert sync.state == GradeSyncState.PENDING and sync.tries == 1
    for _ in range(2):
        GradeSync.objects.update(next_try_at=timezone.now() - timedelta(seconds=1))
        send_due_grades()
    assert [(score["scoreGiven"], score["scoreMaximum"], score["userId"]) for score in platform.scores] == [
        (1.0, 2.0, STUDENT.sub)
    ]
    assert Classroom.objects.get().assignments.get().due_at.year == 2030

    # The teacher sees that the grade reached the LMS.
    teacher.goto(f"{live_server.url}/lti/classes/{Classroom.objects.get().pk}/grades/")
    expect(teacher.get_by_role("row", name=re.compile("Lev Petrov"))).to_contain_text("In the LMS")
    screenshot(teacher, "lti-grade-status")
