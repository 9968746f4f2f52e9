"""Run the deliberately vulnerable GraphQL demo: python -m examples.graphql_api [--host H] [--port P]."""

import argparse

import uvicorn

from examples.graphql_api.app import create_app

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, default=8002)
args = parser.parse_args()
uvicorn.run(create_app(), host=args.host, port=args.port, log_level="warning", server_header=False)
