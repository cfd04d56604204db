#!/usr/bin/python3
"""Place a call to Seatmate from a second baresip softphone (loopback only).

Seatmate listens to the agent's softphone: a baresip with ctrl_tcp on
127.0.0.1:4444 and SIP on 127.0.0.1:5070 (tests/data/baresip/config-agent).
This script starts that agent softphone if nothing listens on 4444 yet,
starts a "customer" softphone on free ports with the caller id you choose,
dials the agent, optionally keys in DTMF once the call is answered, and
waits until the call ends (Ctrl+C hangs up and stops what it started).

Python 3 standard library only; needs baresip (Debian: baresip-core).
"""
import argparse, json, os, shutil, signal, socket, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', 'data', 'baresip')


def netstring(obj):
    b = json.dumps(obj, separators=(',', ':')).encode()
    return str(len(b)).encode() + b':' + b + b','


class Ctrl:
    def __init__(self, port):
        deadline = time.monotonic() + 10
        while True:
            try:
                self.sock = socket.create_connection(('127.0.0.1', port), timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f'call-seatmate: no ctrl_tcp on 127.0.0.1:{port}')
                time.sleep(0.1)
        self.sock.settimeout(0.2)
        self.buf = b''
        self.seq = 0

    def send(self, command, params=None):
        self.seq += 1
        msg = {'command': command, 'token': f'call-seatmate-{self.seq}'}
        if params is not None:
            msg['params'] = params
        self.sock.sendall(netstring(msg))

    def events(self):
        try:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise SystemExit('call-seatmate: the customer softphone went away')
            self.buf += chunk
        except socket.timeout:
            pass
        while b':' in self.buf:
            colon = self.buf.index(b':')
            n = int(self.buf[:colon])
            if len(self.buf) < colon + n + 2:
                break
            payload, self.buf = self.buf[colon + 1:colon + 1 + n], self.buf[colon + n + 2:]
            yield json.loads(payload)


def free_port(n=1):
    for _ in range(200):
        s = socket.socket()
        s.bind(('127.0.0.1', 0))
        base = s.getsockname()[1]
        s.close()
        ok = True
        for i in range(n):
            for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
                t = socket.socket(socket.AF_INET, kind)
                try:
                    t.bind(('127.0.0.1', base + i))
                except OSError:
                    ok = False
                finally:
                    t.close()
        if ok and base + n < 65000:
            return base
    raise SystemExit('call-seatmate: no free ports')


def listening(port):
    try:
        socket.create_connection(('127.0.0.1', port), timeout=0.5).close()
        return True
    except OSError:
        return False


def start_baresip(name, tmp, sip_port, ctrl_port, rtp_base, account):
    d = os.path.join(tmp, name)
    os.makedirs(d)
    lines = []
    for line in open(os.path.join(DATA, name, 'config')):
        if line.startswith('sip_listen'):
            line = f'sip_listen\t\t127.0.0.1:{sip_port}\n'
        elif line.startswith('ctrl_tcp_listen'):
            line = f'ctrl_tcp_listen\t\t127.0.0.1:{ctrl_port}\n'
        elif line.startswith('rtp_ports'):
            line = f'rtp_ports\t\t{rtp_base}-{rtp_base + 19}\n'
        lines.append(line)
    open(os.path.join(d, 'config'), 'w').writelines(lines)
    open(os.path.join(d, 'accounts'), 'w').write(account + '\n')
    log = open(os.path.join(d, 'baresip.log'), 'w')
    return subprocess.Popen(['baresip', '-4', '-f', d], stdin=subprocess.PIPE, stdout=log, stderr=log,
                            preexec_fn=die_with_parent)


def die_with_parent():
    """The softphones stop when this script stops, however it stops (Linux)."""
    try:
        import ctypes
        ctypes.CDLL('libc.so.6', use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def on_sigterm(signum, frame):
    raise KeyboardInterrupt


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--from', dest='number', default='+12025550123',
                    help='the caller number Seatmate sees (default: Jane Doe\'s +12025550123)')
    ap.add_argument('--name', default='Jane Doe', help='the caller display name')
    ap.add_argument('--agent', default='127.0.0.1:5070', help='SIP address of the agent softphone')
    ap.add_argument('--agent-ctrl', type=int, default=4444, help='ctrl_tcp port of the agent softphone')
    ap.add_argument('--dtmf', default='', help='digits to key in once the call is answered')
    ap.add_argument('--keep-agent', action='store_true',
                    help='leave an agent softphone this script started running at the end')
    args = ap.parse_args()

    signal.signal(signal.SIGTERM, on_sigterm)
    if shutil.which('baresip') is None:
        raise SystemExit('call-seatmate: baresip is not installed (apt-get install baresip-core)')

    tmp = tempfile.mkdtemp(prefix='seatmate-softphone-')
    started = []
    try:
        agent_host, agent_port = args.agent.rsplit(':', 1)
        if not listening(args.agent_ctrl):
            print(f'call-seatmate: starting the agent softphone (SIP {args.agent}, ctrl_tcp 127.0.0.1:{args.agent_ctrl})')
            started.append(('agent', start_baresip('config-agent', tmp, int(agent_port), args.agent_ctrl,
                                                   free_port(20),
                                                   f'<sip:agent@{args.agent}>;regint=0;answermode=manual')))
            time.sleep(1.0)
            print('call-seatmate: Seatmate connects to it within 30 s (it retries with backoff)')

        sip, ctrl = free_port(2), free_port(1)
        name = args.name.replace('"', '')
        customer = start_baresip('config-customer', tmp, sip, ctrl, free_port(20),
                                 f'"{name}" <sip:{args.number}@127.0.0.1:{sip}>;regint=0;answermode=manual')
        started.append(('customer', customer))
        c = Ctrl(ctrl)
        time.sleep(0.5)
        c.send('dial', f'sip:agent@{args.agent}')
        print(f'call-seatmate: {name} ({args.number}) is calling sip:agent@{args.agent}; answer in Seatmate (Ctrl+Shift+A)')

        answered = False
        while True:
            for ev in c.events():
                kind = ev.get('type')
                if kind == 'CALL_ESTABLISHED' and not answered:
                    answered = True
                    print('call-seatmate: answered')
                    if args.dtmf:
                        c.send('sndcode', args.dtmf)
                        print(f'call-seatmate: keyed in {args.dtmf}')
                elif kind == 'CALL_CLOSED':
                    print(f'call-seatmate: call ended ({ev.get("param", "")})')
                    return 0
    except KeyboardInterrupt:
        print('\ncall-seatmate: hanging up')
        return 130
    finally:
        for role, proc in reversed(started):
            if role == 'agent' and args.keep_agent:
                print(f'call-seatmate: the agent softphone keeps running (pid {proc.pid})')
                continue
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
        if not (args.keep_agent and any(r == 'agent' for r, _ in started)):
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
