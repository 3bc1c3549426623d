"""himaya pseudonymise --input IN.jsonl --output OUT.jsonl
himaya pseudonymise --text FILE --lang fr|ar [--party NAME …]"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from himaya.casestudies.pseudonymiser import EngineError, analyse, render


class Command(BaseCommand):
    help = (
        "Finds the identifiers in court decisions (French or Arabic). With --input/--output: "
        'JSON lines {"id", "lang", "text"[, "parties"]} in, {"id", "entities": [{"start", "end", '
        '"label"}]} out (Python string offsets). With --text FILE --lang: prints the '
        "pseudonymised text."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", help="JSON lines to read")
        parser.add_argument("--output", help="JSON lines to write (default: standard output)")
        parser.add_argument("--text", help="a plain-text decision to pseudonymise")
        parser.add_argument("--lang", choices=["fr", "ar"], help="the language of --text")
        parser.add_argument(
            "--party", action="append", default=[], help="a party's name, masked everywhere"
        )
        parser.add_argument("--doubts", action="store_true", help="with --text: list the doubts")

    def handle(self, *args, **options):
        if options["text"]:
            if not options["lang"]:
                raise CommandError("--text needs --lang fr or --lang ar")
            try:
                with open(options["text"], encoding="utf-8") as handle:
                    text = handle.read()
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"cannot read {options['text']}: {exc}") from exc
            try:
                result = analyse(text, options["lang"], parties=options["party"])
            except EngineError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(render(result), ending="")
            if options["doubts"]:
                for doubt in result.doubts:
                    self.stderr.write(f"{doubt['kind']}: {doubt['text']} {doubt['note']}".rstrip())
            return
        if not options["input"]:
            raise CommandError(
                "give --input IN.jsonl (and --output OUT.jsonl) or --text FILE --lang"
            )
        out = open(options["output"], "w", encoding="utf-8") if options["output"] else sys.stdout  # noqa: SIM115
        try:
            with open(options["input"], encoding="utf-8") as handle:
                for number, line in enumerate(handle, start=1):
                    if not line.strip():
                        continue
                    try:
                        row = json.loads(line)
                        result = analyse(
                            row["text"], row.get("lang", ""), parties=row.get("parties") or ()
                        )
                    except (json.JSONDecodeError, KeyError, TypeError) as exc:
                        raise CommandError(
                            f"{options['input']}:{number}: not a document ({exc})"
                        ) from exc
                    except EngineError as exc:
                        raise CommandError(f"{options['input']}:{number}: {exc}") from exc
                    out.write(
                        json.dumps(
                            {"id": row.get("id"), "entities": result.entities()}, ensure_ascii=False
                        )
                        + "\n"
                    )
        except OSError as exc:
            raise CommandError(f"cannot read {options['input']}: {exc}") from exc
        finally:
            if out is not sys.stdout:
                out.close()
