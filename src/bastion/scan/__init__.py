"""`bastion scan`: attack a running API from its description, the way a careful attacker would.

The engine (engine.py) loads the spec, logs the test identities in, maps the API with their traffic and
then runs every check registered under checks/. Checks only ever talk to the target through
`Target`, which enforces scope, budget, rate and timeouts; findings go to reports/ for rendering.
"""
