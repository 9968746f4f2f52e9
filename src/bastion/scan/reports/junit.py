"""JUnit XML for CI dashboards: one test suite per check, one test case per check and operation, and a
`bastion.coverage` suite whose cases fail when the scan stopped early, was blocked or reached too little."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from bastion.scan.result import ScanResult


def render(result: ScanResult) -> str:
    suites = ET.Element("testsuites", name="bastion scan", tests="0", failures="0", time=f"{result.duration:.2f}")
    findings = {(f.check_id, f.operation): f for f in result.findings}
    total = failures = 0
    for run in result.checks:
        info = run.info
        operations = sorted(result.tested.get(info.id, set()) | {op for (c, op) in findings if c == info.id})
        suite = ET.SubElement(suites, "testsuite", name=info.id, time=f"{run.seconds:.2f}")
        suite_failures = 0
        if run.status in ("skipped", "budget") and not operations:
            case = ET.SubElement(suite, "testcase", classname=info.id, name="(not run)")
            ET.SubElement(case, "skipped", message=run.reason)
            total += 1
        if run.status == "error":
            case = ET.SubElement(suite, "testcase", classname=info.id, name="(check error)")
            ET.SubElement(case, "error", message=run.reason)
            total += 1
        for operation in operations:
            case = ET.SubElement(suite, "testcase", classname=info.id, name=operation)
            finding = findings.get((info.id, operation))
            if finding is not None:
                failure = ET.SubElement(
                    case, "failure", message=f"[{finding.severity.label}] {finding.title}", type=finding.severity.label
                )
                failure.text = "\n".join(
                    [finding.detail, f"CWE-{finding.cwe}; {finding.owasp}"]
                    + ([f"Reproduce: {finding.reproduction}"] if finding.reproduction else [])
                    + [f"Remediation: {finding.remediation}"]
                )
                suite_failures += 1
            total += 1
        suite.set("tests", str(len(suite)))
        suite.set("failures", str(suite_failures))
        suite.set("skipped", str(sum(1 for c in suite if c.find("skipped") is not None)))
        suite.set("errors", str(sum(1 for c in suite if c.find("error") is not None)))
        failures += suite_failures
    coverage_suite = _coverage_suite(result)
    suites.append(coverage_suite)
    total += int(coverage_suite.get("tests", "0"))
    failures += int(coverage_suite.get("failures", "0"))
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _coverage_suite(result: ScanResult) -> ET.Element:
    coverage = result.coverage
    cases = [
        ("scan complete", f"the scan is incomplete: {result.stop_reason}" if result.stop_reason else None),
        ("not blocked", "; ".join(b.describe() for b in result.blocks if b.last_request is None) or None),
        (
            "test users logged in",
            "; ".join(f"{n}: {why}" for n, why in coverage.identities_failed.items()) or None,
        ),
        (
            "operations reached",
            None
            if coverage.min_coverage <= 0 or coverage.share >= coverage.min_coverage
            else f"{len(coverage.reached)}/{len(coverage.operations)} operations answered 2xx "
            f"({coverage.share:.0f} % < {coverage.min_coverage:g} %)",
        ),
    ]
    suite = ET.Element("testsuite", name="bastion.coverage", time="0")
    failed = 0
    for name, problem in cases:
        case = ET.SubElement(suite, "testcase", classname="bastion.coverage", name=name)
        if problem:
            ET.SubElement(case, "failure", message=problem, type="coverage")
            failed += 1
        ET.SubElement(case, "system-out").text = coverage.summary()
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(failed))
    suite.set("skipped", "0")
    suite.set("errors", "0")
    return suite
