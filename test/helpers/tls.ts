/**
 * A throw-away self-signed certificate for 127.0.0.1 (made with the `openssl` command), so that
 * receivers can serve HTTPS and a dispatcher that refuses http:// can reach them: start the
 * dispatcher with `NODE_EXTRA_CA_CERTS=<certFile>`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface LoopbackCertificate {
	key: Buffer;
	cert: Buffer;
	certFile: string;
}

export function loopbackCertificate(): LoopbackCertificate {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdm-tls-'));
	const keyFile = path.join(dir, 'key.pem');
	const certFile = path.join(dir, 'cert.pem');
	execFileSync(
		'openssl',
		[
			'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
			'-keyout', keyFile, '-out', certFile, '-days', '2',
			'-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
		],
		{ stdio: 'pipe' },
	);
	return { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile), certFile };
}
