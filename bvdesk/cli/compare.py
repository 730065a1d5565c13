"""Compare commands: import indicator values, write the template, benchmark, peer groups."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from bvdesk.cli._framework import Commands, Context
from bvdesk.domain.vocabulary import OrganisationType, StockBand
from bvdesk.domain.years import FinancialYear
from bvdesk.errors import InputRefused

if TYPE_CHECKING:
    from bvdesk.operations.benchmark import BenchmarkReport
    from bvdesk.operations.indicator_import import ImportReport
    from bvdesk.operations.peer_groups import PeerGroupInfo

#: Issues printed in the human-readable output before "... and N more".
SHOWN_ISSUES = 200
#: New peers named one by one after an import; the rest are counted.
SHOWN_PEERS = 20


def register(commands: Commands) -> None:
    p = commands.add("indicators", _import, "Import indicator values from Excel (.xlsx, .xlsm, "
                     ".xls) or CSV files", group="import", group_help="Import data from workbooks")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="the workbooks or text files to import, one or more")
    p.add_argument("--year", metavar="FY", help="financial year for sheets with no year column "
                   "or year in their name, e.g. 2004/05")
    p.add_argument("--dry-run", action="store_true", help="check the files; write nothing")
    p.add_argument("--skip-invalid", action="store_true",
                   help="write the valid values and list the errors")
    p.add_argument("--mapping", metavar="JSON",
                   help='override column detection, e.g. {"Landlord": "organisation"}: a '
                        "column is read as organisation, organisation_code, indicator, year, "
                        "value, homes, region or organisation_type, as an indicator's code, or "
                        'not at all ("ignore")')

    p = commands.add("indicators", _template, "Write a blank indicator workbook to fill in",
                     group="template", group_help="Write blank workbooks to fill in")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx",
                   help="the workbook to write")

    p = commands.add("benchmark", _benchmark, "Quartiles, ranks and the competition trigger for "
                     "a year")
    p.add_argument("--year", metavar="FY", help="financial year (default: the latest with data)")
    p.add_argument("--org", metavar="NAME", help="organisation (default: the landlord)")
    p.add_argument("--peer-group", metavar="NAME", help="peer group (default: everyone)")
    p.add_argument("--indicators", metavar="CODE,...", help="only these indicators")

    group = ("peers", "Peer groups to benchmark against")
    commands.add("list", _peers_list, "List the peer groups", group=group[0],
                 group_help=group[1])
    p = commands.add("create", _peers_create, "Create a peer group by rule or by members",
                     group=group[0], group_help=group[1])
    p.add_argument("name", metavar="NAME", help="the group's name, as --peer-group gives it")
    p.add_argument("--members", metavar="NAME;NAME", help="organisation names or codes, "
                   "separated by semicolons")
    p.add_argument("--region", action="append", metavar="REGION",
                   help="landlords in this region, e.g. London (repeatable)")
    p.add_argument("--org-type", action="append", metavar="TYPE",
                   help="landlords of this kind (repeatable): "
                   + ", ".join(kind.value for kind in OrganisationType))
    p.add_argument("--stock-band", action="append", metavar="BAND",
                   help="landlords owning this many homes (repeatable): "
                   + ", ".join(band.value for band in StockBand))
    p.add_argument("--description", default="", metavar="TEXT",
                   help="why this group, as the submission prints it")
    p = commands.add("delete", _peers_delete, "Delete a peer group", group=group[0],
                     group_help=group[1])
    p.add_argument("name", metavar="NAME", help="the group's name ('bvdesk peers list')")


# --- import ----------------------------------------------------------------------------------


def _import(ctx: Context) -> int:
    from bvdesk.operations.indicator_import import import_files

    args = ctx.args
    year = _year(args.year)
    mapping = None
    if args.mapping:
        try:
            mapping = json.loads(args.mapping)
        except json.JSONDecodeError as exc:
            raise InputRefused(f"--mapping is not valid JSON: {exc.msg}.") from exc
        except RecursionError as exc:
            raise InputRefused("--mapping is nested too deeply: give a flat JSON object, "
                               'e.g. {"Landlord": "organisation"}.') from exc
        if not isinstance(mapping, dict):
            raise InputRefused('--mapping must be a JSON object, e.g. {"Landlord": '
                               '"organisation"}.')
    with ctx.open_db(write=not args.dry_run) as db, ctx.long_task("Importing") as task:
        report = import_files(db, [Path(f) for f in args.files], year=year,
                              dry_run=args.dry_run, skip_invalid=args.skip_invalid,
                              mapping=mapping, progress=task, cancelled=task.cancelled)
    ctx.emit(report.to_json(), lambda: _import_text(report))
    return 1 if (report.errors and not args.skip_invalid) or report.nothing_valid and (
        report.errors or report.rejected) else 0


def _import_text(report: ImportReport) -> str:
    lines = [report.summary()]
    if report.new_organisations:  # a landlord spelt another way shows up here
        named = report.new_organisations[:SHOWN_PEERS]
        more = len(report.new_organisations) - len(named)
        lines.append("New peer organisations: " + "; ".join(named) + (
            f"; and {more:,} more (use --json for the full list)." if more else "."))
    for sheet in report.sheets:
        if sheet.skipped:
            lines.append(f"Skipped {sheet.file}, sheet '{sheet.name}': {sheet.skipped}.")
    issues = [*report.errors, *report.warnings]
    for issue in issues[:SHOWN_ISSUES]:
        lines.append(f"{issue.severity.value}: {issue}")
    if len(issues) > SHOWN_ISSUES:
        lines.append(f"... and {len(issues) - SHOWN_ISSUES:,} more (use --json for the full "
                     "list).")
    return "\n".join(lines)


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return FinancialYear.parse(text).start
    except ValueError as exc:
        raise InputRefused(f"--year: {exc}.") from exc


def _template(ctx: Context) -> int:
    from bvdesk.operations.indicator_import import write_indicator_template

    output = Path(ctx.args.output)
    from bvdesk.operations.opening import is_server_url

    if is_server_url(ctx.db_target) or ctx.db_path.exists():
        with ctx.open_db(write=False) as db:
            path = write_indicator_template(output, db)
    else:
        path = write_indicator_template(output)
    ctx.emit({"template": str(path)}, f"Wrote the indicator template to {path}.")
    return 0


# --- benchmark -------------------------------------------------------------------------------


def _benchmark(ctx: Context) -> int:
    from bvdesk.operations.benchmark import benchmark

    args = ctx.args
    codes = [c.strip() for c in args.indicators.split(",") if c.strip()] if args.indicators \
        else None
    with ctx.open_db(write=False) as db:
        report = benchmark(db, year=_year(args.year), org=args.org, peer_group=args.peer_group,
                           indicators=codes)
    ctx.emit(report.to_json(), lambda: _benchmark_text(report))
    return 0


def _number(value: float, decimals: int) -> str:
    """To the indicator's decimals, as the app and the documents print it."""
    from bvdesk.domain.livefigures import fixed

    return fixed(value, decimals)


def _benchmark_text(report: BenchmarkReport) -> str:
    peers = f"peer group {report.peer_group}" if report.peer_group else "all peers"
    lines = [f"{report.organisation}, {report.year}, against {peers}", ""]
    lines.append(f"{'Indicator':<10} {'Value':>10} {'n':>4} {'P25':>9} {'Median':>9} "
                 f"{'P75':>9} {'Q':>2} {'Rank':>5} {'Gap':>9}  Notes")
    for row in report.rows:
        notes = []
        if row.persistent:
            # A run of years, or persistent by the count in the window, with no run to give.
            run = row.years_in_bottom_quartile
            notes.append(f"persistent ({run} yr)" if run > 1 else "persistent")
        elif row.bottom_quartile:
            notes.append("bottom quartile")
        if row.small_sample:
            notes.append("small sample")
        figures = [_number(v, row.decimals) for v in (row.value, row.p25, row.median, row.p75,
                                                      row.gap_to_top_quartile)]
        lines.append(f"{row.indicator:<10} {figures[0]:>10} {row.n:>4} "
                     f"{figures[1]:>9} {figures[2]:>9} {figures[3]:>9} "
                     f"{row.quartile:>2} {row.rank:>5} {figures[4]:>9}  "
                     f"{', '.join(notes)}")
    lines.append("")
    if report.compete_trigger:
        services = "; ".join(f"{s.service_name} ({', '.join(s.indicators)})"
                             for s in report.compete_trigger.services)
        lines.append(f"Competition trigger: bottom quartile in {services}. These services "
                     "must be market-tested.")
    else:
        lines.append("Competition trigger: none (no indicator in the bottom quartile).")
    if report.intervention_risk:
        lines.append("Intervention risk: persistently in the bottom quartile on "
                     f"{', '.join(report.intervention_risk.indicators)}.")
    return "\n".join(lines)


# --- peer groups -----------------------------------------------------------------------------


def _group_text(group: PeerGroupInfo) -> str:
    how = (", ".join(f"{k}={'|'.join(v)}" for k, v in group.rule.items()) if group.rule
           else "list")
    return f"{group.name}: {group.size} organisations ({how})"


def _peers_list(ctx: Context) -> int:
    from bvdesk.operations.peer_groups import list_peer_groups

    with ctx.open_db(write=False) as db:
        groups = list_peer_groups(db)
    ctx.emit([g.to_json() for g in groups],
             lambda: "\n".join(_group_text(g) for g in groups) or "No peer groups yet.")
    return 0


def _peers_create(ctx: Context) -> int:
    from bvdesk.operations.peer_groups import create_peer_group

    args = ctx.args
    rule = {key: values for key, values in (("region", args.region),
                                             ("org_type", args.org_type),
                                             ("stock_band", args.stock_band)) if values}
    members = [m.strip() for m in args.members.split(";") if m.strip()] if args.members \
        else None
    with ctx.open_db(write=True) as db:
        try:
            group = create_peer_group(db, args.name, rule=rule or None, members=members,
                                      description=args.description)
        except InputRefused as refused:
            if members and any("," in m for m in members):  # --indicators takes commas
                raise InputRefused(f"{refused.message} Separate the members' names with "
                                   "semicolons: --members \"Name one;Name two\".") from refused
            raise
    ctx.emit(group.to_json(), f"Created {_group_text(group)}.")
    return 0


def _peers_delete(ctx: Context) -> int:
    from bvdesk.operations.peer_groups import delete_peer_group

    with ctx.open_db(write=True) as db:
        delete_peer_group(db, ctx.args.name)
    ctx.emit({"deleted": ctx.args.name}, f"Deleted the peer group {ctx.args.name}.")
    return 0
