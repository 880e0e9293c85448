import hashlib
import math
import random
from datetime import timedelta
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from quiz.models import Assignment, Attempt, Classroom, Question, QuestionKind, Quiz, SubmittedAnswer

DEMO_ACCOUNTS = [
    # (username, password, is_teacher)
    ("teacher", "teach-the-source-2026", True),
    ("student1", "learn-the-source-2026", False),
    ("student2", "learn-the-source-2026", False),
]

DEMO_CLASS_NAME = "Current Affairs 11B"
# Fixed so a demo can be scripted; generated codes avoid 0/O and 1/I/L the same way.
DEMO_JOIN_CODE = "SEED2526"
# (quiz slug, due in days from now; None for no due date)
DEMO_ASSIGNMENTS = [
    ("hardware-and-sanctions", -5),
    ("talent-and-brain-drain", 6),
    ("china-censorship-and-the-state", None),
]
# Classmates of student1 and student2: they cannot log in (no password), they only fill the class.
CLASSMATES = [
    ("Amara", "Okafor"),
    ("Ben", "Hughes"),
    ("Chloé", "Martin"),
    ("Dmitri", "Ivanov"),
    ("Ella", "Nowak"),
    ("Farah", "Haddad"),
    ("Gus", "Lindqvist"),
    ("Hana", "Sato"),
    ("Isaac", "Mensah"),
    ("Jonas", "Weber"),
    ("Keira", "Walsh"),
    ("Luca", "Romano"),
    ("Maya", "Cohen"),
    ("Nikhil", "Rao"),
    ("Olivia", "Brown"),
    ("Pablo", "García"),
    ("Quinn", "Taylor"),
    ("Rosa", "Silva"),
    ("Sami", "Virtanen"),
    ("Tess", "O'Neill"),
    ("Umar", "Farouk"),
    ("Vera", "Kovács"),
    ("Wen", "Li"),
]


def question_difficulty(question: Question) -> float:
    """A stable difficulty in [-1.6, 1.6] from the question's key, so every run simulates alike."""
    digest = hashlib.sha256(question.key.encode()).digest()
    return (digest[0] / 255) * 3.2 - 1.6


def chance_right(ability: float, difficulty: float) -> float:
    """Two-parameter logistic item response: stronger students beat harder questions more often."""
    return 1 / (1 + math.exp(-2.0 * (ability - difficulty)))


def simulated_answer(
    question: Question, choices: list, ability: float, rng: random.Random, trait: str = ""
) -> SubmittedAnswer:
    """What a student of this ability plausibly answers.

    ``trait`` shapes a few questions the way real banks misbehave: "misleading"
    (one wrong choice draws most students), "noise" (right or wrong by chance,
    whatever the student knows) and "easy" (nearly everyone gets it).
    """
    p_right = chance_right(ability, question_difficulty(question))
    if trait == "easy":
        p_right = 0.985
    elif trait == "noise":
        p_right = 0.5
    elif trait == "misleading":
        p_right *= 0.35
    right = rng.random() < p_right
    correct = [c.pk for c in choices if c.is_correct]
    wrong = [c.pk for c in choices if not c.is_correct]
    if question.kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
        if right or not wrong:
            return SubmittedAnswer(choice_ids=frozenset(correct[:1]))
        trap = min(wrong)
        pick = trap if trait == "misleading" and rng.random() < 0.85 else rng.choice(wrong)
        return SubmittedAnswer(choice_ids=frozenset([pick]))
    if question.kind == QuestionKind.MULTIPLE:
        if right:
            return SubmittedAnswer(choice_ids=frozenset(correct))
        picked = set(rng.sample(correct, k=max(1, len(correct) - 1)))
        if wrong and rng.random() < 0.6:
            picked.add(rng.choice(wrong))
        return SubmittedAnswer(choice_ids=frozenset(picked))
    if question.kind == QuestionKind.NUMERIC:
        value = question.numeric_answer or Decimal("0")
        if not right:
            value = value * Decimal(rng.choice(["0.5", "1.5", "2", "0.1"]))
        return SubmittedAnswer(text=f"{value.normalize():f}")
    if right and question.accepted_answers:
        return SubmittedAnswer(text=str(question.accepted_answers[0]))
    return SubmittedAnswer(text=rng.choice(["not sure", "Europe", "the government", "2020"]))


def question_traits(questions: list[Question]) -> dict[int, str]:
    """Mark a few questions of a quiz so its statistics have something to flag."""
    traits: dict[int, str] = {}
    single = [q for q in questions if q.kind == QuestionKind.SINGLE]
    true_false = [q for q in questions if q.kind == QuestionKind.TRUE_FALSE]
    if single:
        traits[single[0].pk] = "misleading"
    if true_false:
        traits[true_false[0].pk] = "easy"
    if len(true_false) > 1:
        traits[true_false[1].pk] = "noise"
    return traits


class Command(BaseCommand):
    help = (
        "Create demo accounts (a teacher and two students) and print their passwords, and a demo class of "
        "25 students with realistic attempts on three assigned quizzes. DEBUG only."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo creates accounts with published passwords; it refuses to run with DEBUG off.")
        User = get_user_model()
        accounts = {}
        for username, password, is_teacher in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.is_staff = is_teacher
            user.save()
            if is_teacher:
                from accounts.roles import make_teacher

                make_teacher(user)
            accounts[username] = user
            role = "teacher" if is_teacher else "student"
            self.stdout.write(f"  {role:8} {username:10} password: {password}")
        self.stdout.write(self.style.SUCCESS("Demo accounts ready."))
        self.seed_class(accounts)

    def seed_class(self, accounts) -> None:
        quizzes = {quiz.slug: quiz for quiz in Quiz.objects.filter(slug__in=[slug for slug, _ in DEMO_ASSIGNMENTS])}
        if len(quizzes) < len(DEMO_ASSIGNMENTS):
            self.stdout.write("No demo class: load the quizzes first (manage.py load_content), then run this again.")
            return
        User = get_user_model()
        now = timezone.now()
        with transaction.atomic():
            classroom, _ = Classroom.objects.get_or_create(
                teacher=accounts["teacher"], name=DEMO_CLASS_NAME, defaults={"join_code": DEMO_JOIN_CODE}
            )
            students = [accounts["student1"], accounts["student2"]]
            for number, (first, last) in enumerate(CLASSMATES, start=3):
                student, created = User.objects.get_or_create(
                    username=f"demo{number:02d}", defaults={"first_name": first, "last_name": last}
                )
                if created:
                    student.set_unusable_password()
                    student.save(update_fields=["password"])
                students.append(student)
            # The demo class started a month ago: its past due dates are overdue, not "set before they joined".
            classroom.students.add(*students, through_defaults={"joined_at": now - timedelta(days=30)})
            for slug, due_in_days in DEMO_ASSIGNMENTS:
                due_at = (
                    None
                    if due_in_days is None
                    else (now + timedelta(days=due_in_days)).replace(hour=17, minute=0, second=0, microsecond=0)
                )
                Assignment.objects.get_or_create(classroom=classroom, quiz=quizzes[slug], defaults={"due_at": due_at})
        if Attempt.objects.filter(student__in=students, quiz__in=quizzes.values()).exists():
            self.stdout.write(f"Demo class “{classroom.name}” (join code {classroom.join_code}) already has attempts.")
            return
        made = self.simulate(students, [quizzes[slug] for slug, _ in DEMO_ASSIGNMENTS], now)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo class “{classroom.name}”: join code {classroom.join_code}, {len(students)} students, "
                f"{made} attempts. The teacher sees it at /teach/."
            )
        )
        # Called by name, not imported: quiz knows nothing of the practice app (imports run one way).
        if apps.is_installed("practice"):
            call_command("seed_practice", stdout=self.stdout)

    def simulate(self, students, quizzes, now) -> int:
        """Attempts through the real answer service, spread over the last two weeks."""
        from quiz.services import attempt_start, response_record

        rng = random.Random(2026)
        bank = {}
        traits = {}
        for quiz in quizzes:
            questions = list(
                Question.objects.published()
                .filter(quiz_questions__quiz=quiz)
                .select_related("passage__source")
                .prefetch_related("choices")
                .order_by("quiz_questions__position")
            )
            bank.update({question.pk: question for question in questions})
            traits.update(question_traits(questions))
        made = 0
        # student2 stays untouched: the demo shows "not started" and "overdue" for real.
        for index, student in enumerate(students):
            if student.username == "student2":
                continue
            ability = rng.gauss(0.2, 1.3)
            for quiz_index, quiz in enumerate(quizzes):
                take = {0: 0.85, 1: 0.55, 2: 0.7}[quiz_index]
                if rng.random() > take:
                    continue
                # The first quiz was due five days ago: most sat it before, one in six after (late).
                days_ago = {0: rng.uniform(6, 13), 1: rng.uniform(0.5, 8), 2: rng.uniform(1, 13)}[quiz_index]
                if quiz_index == 0 and index % 6 == 5:
                    days_ago = rng.uniform(0.2, 3)
                start = now - timedelta(days=days_ago, minutes=rng.uniform(0, 600))
                for attempt_number in range(3):
                    attempt = attempt_start(quiz=quiz, student=student, now=start, rng=rng)
                    moment = start
                    # Two students leave an attempt half done, so "in progress" shows up too.
                    abandon = attempt_number == 0 and quiz_index == 1 and index in (4, 11)
                    for position, question_id in enumerate(attempt.question_ids):
                        if abandon and position >= len(attempt.question_ids) // 2:
                            break
                        question = bank[question_id]
                        shown = attempt.shown_choices(question_id, question.choices.all())
                        moment += timedelta(seconds=rng.uniform(8, 40) + 20 * max(0.0, question_difficulty(question)))
                        answer = simulated_answer(
                            question, shown, ability + 0.35 * attempt_number, rng, traits.get(question_id, "")
                        )
                        response_record(attempt=attempt, question=question, choices=shown, answer=answer, now=moment)
                    made += 1
                    if abandon or not attempt.is_finished or attempt.percent >= quiz.pass_mark or rng.random() < 0.4:
                        break
                    start = moment + timedelta(days=rng.uniform(0.5, 2))
                    if start > now:
                        break
        return made
