"""The server side: `genai-hooks pre-receive`, the gate a pusher cannot skip (SPEC §15).

refs.py reads the push's ref updates into scopes, gate.py runs one check per scope and decides the push
(break glass, budget), render.py shows the verdict, hook.py is the command. None of them judges a file.
"""
