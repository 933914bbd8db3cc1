// Whether a session runs under a REMS protocol (one with the pre-dose check "rems_enrolment"),
// which gives it a monitoring form. Once the readiness checklist was recorded its items say so
// exactly (they were evaluated under the session's own protocol version); before that the
// protocol's active document is read.
import { useEffect, useState } from 'preact/hooks';
import { getProtocol } from '../api/course';
import type { DosingSession } from '../api/sessions';
import { protocolHasRems } from './remsLogic';

export function useRemsSession(session: DosingSession | null): boolean {
  const fromReadiness = session?.readiness ? session.readiness.items.some((i) => i.id === 'rems_enrolment') : null;
  const protocolId = session && fromReadiness === null ? session.protocol.id : null;
  const [fromProtocol, setFromProtocol] = useState(false);
  useEffect(() => {
    if (!protocolId) return;
    let current = true;
    getProtocol(protocolId)
      .then((detail) => current && setFromProtocol(protocolHasRems(detail.protocol)))
      .catch(() => current && setFromProtocol(false));
    return () => {
      current = false;
    };
  }, [protocolId]);
  return fromReadiness ?? fromProtocol;
}
