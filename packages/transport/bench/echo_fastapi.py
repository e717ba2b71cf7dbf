# The same echo as bench/run.ts's bare node:http server, in FastAPI + uvicorn (1 worker).
import sys

from fastapi import FastAPI, Request
from fastapi.responses import Response
import uvicorn

app = FastAPI()


@app.post("/Synapse")
async def echo(request: Request):
    body = await request.body()
    return Response(content=body, media_type="application/json")


if __name__ == "__main__":
    port = int(sys.argv[1])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", access_log=False)
