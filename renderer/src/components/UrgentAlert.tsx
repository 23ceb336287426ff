import { useEffect, useRef, useState } from 'react';
import { useEngineEvent } from '../engine/context';
import { urgentLabel } from '../format/urgent';

/**
 * Two short rising tones, made with Web Audio so no sound file ships. A browser that has
 * not been clicked yet may refuse to play (its autoplay rule); the banner still shows, and
 * the desktop window allows sound without a click.
 */
function chime(): void {
  try {
    const ctx = new AudioContext();
    void ctx.resume().catch(() => undefined);
    const t0 = ctx.currentTime;
    [880, 1175, 880, 1175].forEach((hz, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = hz;
      gain.gain.setValueAtTime(0.0001, t0 + i * 0.22);
      gain.gain.exponentialRampToValueAtTime(0.3, t0 + i * 0.22 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + i * 0.22 + 0.2);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0 + i * 0.22);
      osc.stop(t0 + i * 0.22 + 0.21);
    });
    setTimeout(() => void ctx.close().catch(() => undefined), 1500);
  } catch {
    // No audio device: the banner is the alert.
  }
}

interface Alert {
  callId: number;
  situation: string;
}

/** Sounds and shows every urgent call, on whatever screen staff are on, until dismissed. */
export function UrgentAlert({ onOpen }: { onOpen: () => void }) {
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const seen = useRef(new Set<number>());
  useEngineEvent('call.urgent', ({ callId, situation }) => {
    if (seen.current.has(callId)) return;
    seen.current.add(callId);
    setAlerts((list) => [...list, { callId, situation }]);
    chime();
  });
  useEffect(() => {
    if (alerts.length === 0) return;
    document.title = `⚠ ${document.title.replace(/^⚠ /, '')}`;
    return () => {
      document.title = document.title.replace(/^⚠ /, '');
    };
  }, [alerts.length > 0]);
  if (alerts.length === 0) return null;
  return (
    <div className="urgent-alert" role="alert">
      <strong>{alerts.length === 1 ? 'Urgent call' : `${alerts.length} urgent calls`}:</strong> {alerts.map((a) => urgentLabel(a.situation)).join('; ')}
      <button type="button" className="primary" onClick={() => (onOpen(), setAlerts([]))}>
        Show live calls
      </button>
      <button type="button" onClick={() => setAlerts([])}>
        Dismiss
      </button>
    </div>
  );
}
