// A minimal MLLP client for tests (0x0B message 0x1C 0x0D framing, one ACK per
// message) and a builder of IHE PCD-01 ORU^R01 messages with chosen vitals, so
// suites can drive `ketachart serve --mllp-port` with exact values and times.
// (tests/api/monitor.test.mjs uses python3-hl7's mllp_send as the independent client.)
import net from 'node:net';
import tls from 'node:tls';

const MDC = {
  spo2: ['150456', 'MDC_PULS_OXIM_SAT_O2', '262688^MDC_DIM_PERCENT^MDC'],
  pulse_rate: ['149530', 'MDC_PULS_OXIM_PULS_RATE', '264864^MDC_DIM_BEAT_PER_MIN^MDC'],
  heart_rate: ['147842', 'MDC_ECG_HEART_RATE', '264864^MDC_DIM_BEAT_PER_MIN^MDC'],
  systolic: ['150021', 'MDC_PRESS_BLD_NONINV_SYS', '266016^MDC_DIM_MMHG^MDC'],
  diastolic: ['150022', 'MDC_PRESS_BLD_NONINV_DIA', '266016^MDC_DIM_MMHG^MDC'],
  mean_pressure: ['150023', 'MDC_PRESS_BLD_NONINV_MEAN', '266016^MDC_DIM_MMHG^MDC'],
  respiratory_rate: ['151562', 'MDC_RESP_RATE', '264928^MDC_DIM_RESP_PER_MIN^MDC'],
};

/** HL7 DTM in UTC with milliseconds: 20261202101500.250+0000. */
export function hl7Time(date) {
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return (
    `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}` +
    `${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}.${p(date.getUTCMilliseconds(), 3)}+0000`
  );
}

let counter = 0;

/** An ORU^R01 from `device` (EUI-64 hex) with `vitals` ({ spo2: 97, systolic: 185, ... }) observed at `at`. */
export function oruMessage(device, vitals, { at = new Date(), controlId } = {}) {
  const id = controlId || `T${process.pid}-${Date.now()}-${++counter}`;
  const ts = hl7Time(at);
  const segments = [
    `MSH|^~\\&|TESTMON^${device}^EUI-64|TEST|KETACHART|CLINIC|${ts}||ORU^R01^ORU_R01|${id}|P|2.6|||NE|AL||UNICODE UTF-8`,
    'PID|||',
    `OBR|1|${id}|${id}|182777000^monitoring of patient^SNOMED-CT|||${ts}`,
    `OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1|||||||X|||||||${device}^^${device}^EUI-64`,
  ];
  let set = 2;
  for (const [name, value] of Object.entries(vitals)) {
    const [code, mdcName, unit] = MDC[name];
    segments.push(`OBX|${set++}|NM|${code}^${mdcName}^MDC|1.1.1.${code}|${value}|${unit}|||||R|||${ts}`);
  }
  return { controlId: id, text: segments.join('\r') };
}

/**
 * Sends each message over one connection and resolves the ACK texts, in order.
 * `tlsOptions` (e.g. { ca: pem, servername: 'localhost' }) connects over TLS.
 */
export function mllpExchange(port, messages, tlsOptions = null) {
  return new Promise((resolve, reject) => {
    const socket = tlsOptions
      ? tls.connect({ host: '127.0.0.1', port, ...tlsOptions })
      : net.connect({ host: '127.0.0.1', port });
    const acks = [];
    let buffer = Buffer.alloc(0);
    let next = 0;
    const sendNext = () => {
      if (next >= messages.length) {
        socket.end();
        return resolve(acks);
      }
      const text = typeof messages[next] === 'string' ? messages[next] : messages[next].text;
      next += 1;
      socket.write(Buffer.concat([Buffer.from([0x0b]), Buffer.from(text, 'utf8'), Buffer.from([0x1c, 0x0d])]));
    };
    socket.setTimeout(15000, () => socket.destroy(new Error('MLLP ACK timed out')));
    socket.on(tlsOptions ? 'secureConnect' : 'connect', sendNext);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf(Buffer.from([0x1c, 0x0d]));
        if (end < 0) break;
        const start = buffer.indexOf(0x0b);
        acks.push(buffer.subarray(start + 1, end).toString('utf8'));
        buffer = buffer.subarray(end + 2);
        sendNext();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => {
      if (acks.length < messages.length) reject(new Error(`connection closed after ${acks.length} of ${messages.length} ACKs`));
    });
  });
}

/** MSA-1 of an ACK ("AA", "AE", "AR"). */
export function ackCode(ack) {
  const msa = ack.split(/[\r\n]+/).find((s) => s.startsWith('MSA|'));
  return msa ? msa.split('|')[1] : null;
}
