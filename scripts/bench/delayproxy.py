# A TCP proxy that delays every chunk by DELAY seconds each way (a round trip of 2*DELAY),
# order kept: a slow network on loopback, where the kernel has no netem.
import asyncio, sys
LISTEN, TARGET, DELAY = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
async def pipe(r, w):
    q = asyncio.Queue()
    async def writer():
        while True:
            t, data = await q.get()
            d = t - asyncio.get_running_loop().time()
            if d > 0: await asyncio.sleep(d)
            if data is None: w.close(); return
            w.write(data); await w.drain()
    task = asyncio.create_task(writer())
    loop = asyncio.get_running_loop()
    while True:
        data = await r.read(65536)
        await q.put((loop.time() + DELAY, data or None))
        if not data: break
    await task
async def handle(cr, cw):
    sr, sw = await asyncio.open_connection('127.0.0.1', TARGET)
    await asyncio.gather(pipe(cr, sw), pipe(sr, cw), return_exceptions=True)
async def main():
    s = await asyncio.start_server(handle, '127.0.0.1', LISTEN)
    async with s: await s.serve_forever()
asyncio.run(main())
