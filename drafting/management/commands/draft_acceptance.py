"""Print the acceptance rate of each drafting rule, so the rules can be improved from teachers' reviews."""

from django.core.management.base import BaseCommand, CommandError

from content.models import Source
from drafting.services import acceptance_by_rule


class Command(BaseCommand):
    help = "Acceptance rate per drafting rule: accepted of the reviewed drafts (accepted + rejected)."

    def add_arguments(self, parser):
        parser.add_argument("--source", help="Only this source's drafts (its slug).")

    def handle(self, *args, source=None, **options):
        chosen = None
        if source:
            chosen = Source.objects.filter(slug=source).first()
            if chosen is None:
                raise CommandError(f"No source has the slug “{source}”.")
        rates = acceptance_by_rule(source=chosen)
        if not rates:
            self.stdout.write("No drafts yet.")
            return
        self.stdout.write(
            f"{'engine':<10} {'rule':<34} {'drafted':>8} {'accepted':>9} {'rejected':>9} {'pending':>8} {'rate':>6}"
        )
        for rate in rates:
            shown = "—" if rate.rate is None else f"{rate.rate:.0%}"
            self.stdout.write(
                f"{rate.engine:<10} {rate.rule:<34} {rate.drafted:>8} {rate.accepted:>9} "
                f"{rate.rejected:>9} {rate.pending:>8} {shown:>6}"
            )
