// A drawn signature on a <canvas>: pointer events, so mouse, touch and pen all draw (pen
// pressure widens the line); a Clear button; the PNG data URL is read by the dialog that
// owns the pad. The canvas keeps its backing store at the device's pixel ratio so strokes
// stay sharp on a tablet.
import { useEffect, useImperativeHandle, useRef } from 'preact/hooks';
import type { Ref } from 'preact';
import { isSignatureEmpty } from './consentForm';

export interface SignaturePadHandle {
  isEmpty: () => boolean;
  toDataUrl: () => string;
  clear: () => void;
}

export function SignaturePad({ id, label, error, handle, onInk }: {
  id: string;
  label: string;
  error?: string | undefined;
  handle: Ref<SignaturePadHandle>;
  /** Called when ink is first drawn after a clear, and with false on clear. */
  onInk?: (hasInk: boolean) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef<{ pointerId: number; x: number; y: number } | null>(null);
  const inked = useRef(false);

  // The backing store follows the box's laid-out size at the device's pixel ratio. It is set
  // when the pad is shown and again before the first stroke (a pad inside a dialog has no
  // size until the dialog opens); once there is ink it is left alone, so ink is never lost.
  const fitBackingStore = () => {
    const c = canvas.current;
    if (!c || inked.current) return;
    const ratio = window.devicePixelRatio || 1;
    const rect = c.getBoundingClientRect();
    const width = Math.max(1, Math.round(rect.width * ratio));
    const height = Math.max(1, Math.round(rect.height * ratio));
    if (c.width === width && c.height === height) return;
    c.width = width;
    c.height = height;
    const ctx = c.getContext('2d');
    if (ctx) {
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      ctx.strokeStyle = '#10202e';
    }
  };

  useEffect(() => {
    fitBackingStore();
    const frame = requestAnimationFrame(fitBackingStore);
    return () => cancelAnimationFrame(frame);
  }, []);

  const clear = () => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, c.width, c.height);
    ctx.restore();
    inked.current = false;
    fitBackingStore();
    onInk?.(false);
  };

  useImperativeHandle(handle, () => ({
    isEmpty: () => {
      const c = canvas.current;
      const ctx = c?.getContext('2d');
      if (!c || !ctx) return true;
      return isSignatureEmpty(ctx.getImageData(0, 0, c.width, c.height).data);
    },
    toDataUrl: () => canvas.current?.toDataURL('image/png') ?? '',
    clear,
  }));

  const markInk = () => {
    if (inked.current) return;
    inked.current = true;
    onInk?.(true);
  };

  const point = (e: PointerEvent) => {
    const rect = canvas.current!.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };

  const lineWidth = (e: PointerEvent) => (e.pointerType === 'pen' && e.pressure > 0 ? 1.2 + e.pressure * 2.6 : 2.4);

  const down = (e: PointerEvent) => {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    e.preventDefault();
    fitBackingStore();
    try {
      // Keeps the stroke when a finger slides past the edge; refused for a pointer that is no longer active.
      canvas.current?.setPointerCapture?.(e.pointerId);
    } catch {
      // Drawing still works without capture.
    }
    const p = point(e);
    drawing.current = { pointerId: e.pointerId, ...p };
    const ctx = canvas.current?.getContext('2d');
    if (ctx) {
      // A dot, so a tap-and-release still leaves the mark it made.
      ctx.beginPath();
      ctx.fillStyle = '#10202e';
      ctx.arc(p.x, p.y, lineWidth(e) / 2, 0, Math.PI * 2);
      ctx.fill();
    }
    markInk();
  };

  const move = (e: PointerEvent) => {
    const last = drawing.current;
    if (!last || last.pointerId !== e.pointerId) return;
    e.preventDefault();
    const ctx = canvas.current?.getContext('2d');
    const p = point(e);
    if (ctx) {
      ctx.lineWidth = lineWidth(e);
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
    }
    drawing.current = { pointerId: e.pointerId, ...p };
    markInk();
  };

  const up = (e: PointerEvent) => {
    if (drawing.current?.pointerId === e.pointerId) drawing.current = null;
  };

  return (
    <div class={`field signature${error ? ' field--invalid' : ''}`}>
      <p class="signature__label" id={`${id}-label`}>
        {label} <span class="required-mark">(required)</span>
      </p>
      <p class="hint" id={`${id}-hint`}>
        Sign inside the box with a finger, a pen or the mouse.
      </p>
      <canvas
        id={id}
        ref={canvas}
        class="signature__canvas"
        role="img"
        tabIndex={-1}
        aria-labelledby={`${id}-label`}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
        onPointerLeave={up}
      />
      {error ? (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      ) : null}
      <button type="button" class="button button--secondary button--small" onClick={clear}>
        Clear signature
      </button>
    </div>
  );
}
