"""JUnit XML for CI dashboards: one test suite per check, one test case per check and operation."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from bastion.scan.engine import ScanResult


def render(result: ScanResult) -> str:
    suites = ET.Element("testsuites", name="bastion scan", tests="0", failures="0", time=f"{result.duration:.2f}")
    findings = {(f.check_id, f.operation): f for f in result.findings}
    total = failures = 0
    for run in result.checks:
        info = run.info
        operations = sorted(result.coverage.get(info.id, set()) | {op for (c, op) in findings if c == info.id})
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
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
