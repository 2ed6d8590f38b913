"""The native peers on the files bench:formats builds (run by hand: python3 bench/peers/run_peers.py
[--mb 128] [--dir DIR]). Creates its own virtual environment in bench/peers/.venv (expelliarmus
for EVT 2.0/3.0 and DAT, aedat for AEDAT 4.0, faery for all four), runs `npm run bench:formats --
--keep DIR` for this workbench's figures, then decodes every file with each peer (whole file,
events counted, best of --passes after a first pass) and prints M events/s and the ratio of this
workbench to the fastest peer. Peak resident memory is measured per peer in a fresh process.
"""
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
VENV = os.path.join(HERE, '.venv')
PY = os.path.join(VENV, 'bin', 'python')
PACKAGES = ['numpy', 'expelliarmus', 'aedat', 'faery']


def ensure_venv():
    if not os.path.exists(PY):
        subprocess.run([sys.executable, '-m', 'venv', VENV], check=True)
        subprocess.run([PY, '-m', 'pip', 'install', '-q', *PACKAGES], check=True)
    if os.path.realpath(sys.executable) != os.path.realpath(PY):
        os.execv(PY, [PY, __file__, *sys.argv[1:]])


def decode(peer, path, fmt):
    """Events in the file, decoded by one peer."""
    if peer == 'expelliarmus':
        from expelliarmus import Wizard
        return len(Wizard(encoding={'EVT 2.0': 'evt2', 'EVT 3.0': 'evt3', 'DAT': 'dat'}[fmt]).read(path))
    if peer == 'aedat':
        import aedat
        return sum(len(p['events']) for p in aedat.Decoder(path) if 'events' in p)
    if peer == 'faery':
        import faery
        return sum(len(e) for e in faery.events_stream_from_file(path))
    raise ValueError(peer)


PEERS = {'EVT 2.0': ['expelliarmus', 'faery'], 'EVT 3.0': ['expelliarmus', 'faery'], 'DAT': ['expelliarmus', 'faery'], 'AEDAT 4.0 (LZ4)': ['aedat', 'faery'], 'AEDAT 2.0': []}


def child(peer, path, fmt, passes):
    import resource
    times, n = [], 0
    for _ in range(passes):
        t0 = time.perf_counter()
        n = decode(peer, path, fmt)
        times.append(time.perf_counter() - t0)
    warm = min(times[1:]) if len(times) > 1 else times[0]
    print(json.dumps({'events': n, 's': warm, 'maxRssMb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main():
    if sys.argv[1:2] == ['--child']:
        return child(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    arg = lambda name, default: sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default
    mb, passes = arg('--mb', '128'), int(arg('--passes', '3'))
    folder = arg('--dir', os.path.join('/tmp', 'tppw-bench-peers'))
    subprocess.run(['npm', 'run', '-s', 'bench:formats', '--', '--mb', mb, '--passes', str(passes), '--keep', folder], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    ours = json.load(open(os.path.join(folder, 'results.json')))
    print(f"machine {ours['machine']}; files of {mb} MB built from the real samples; best of {passes - 1} warm passes")
    print(f"{'format':18} {'events':>10} {'workbench':>10} {'peer':>14} {'peer M ev/s':>12} {'ratio':>6}  RSS workbench / peer MB")
    for row in ours['rows']:
        path = os.path.join(folder, row['file'])
        best = None
        for peer in PEERS[row['format']]:
            out = subprocess.run([PY, __file__, '--child', peer, path, row['format'], str(passes)], capture_output=True, text=True)
            if out.returncode != 0:
                print(f"  {peer} failed on {row['file']}: {out.stderr.strip().splitlines()[-1] if out.stderr.strip() else out.returncode}")
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            rate = r['events'] / r['s'] / 1e6
            note = '' if r['events'] == row['events'] else f" (counts {r['events']} events)"
            print(f"{'':18} {'':>10} {'':>10} {peer:>14} {rate:12.1f} {row['mEventsPerS'] / rate:6.2f}  {row['maxRssMb']:.0f} / {r['maxRssMb']:.0f}{note}")
            if best is None or rate > best[1]:
                best = (peer, rate)
        ratio = f"{row['mEventsPerS'] / best[1]:.2f}× {best[0]}" if best else 'no peer reads it'
        print(f"{row['format']:18} {row['events']:>10} {row['mEventsPerS']:10.1f} {'fastest:':>14} {ratio:>19}  (workbench cold {row['coldMEventsPerS']:.1f})")


if __name__ == '__main__':
    ensure_venv()
    main()
