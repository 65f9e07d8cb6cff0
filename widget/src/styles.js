// All widget CSS. Everything is scoped under #patient-guide-widget and every
// class starts with "pg-" so neither side's styles leak into the other.
// Colours are chosen for WCAG AA contrast (text >= 4.5:1, focus rings >= 3:1).

export const STYLE_ID = 'pg-style';

const CSS = `
#patient-guide-widget{position:fixed;z-index:2147483000;right:0;bottom:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif;color:#1b1f24;text-align:start}
#patient-guide-widget *,#patient-guide-widget *::before,#patient-guide-widget *::after{box-sizing:border-box;margin:0;letter-spacing:normal;text-transform:none;text-shadow:none;float:none}
#patient-guide-widget [hidden]{display:none!important}
#patient-guide-widget button,#patient-guide-widget input{font:inherit;color:inherit}
#patient-guide-widget :focus{outline:none}
#patient-guide-widget :focus-visible,#patient-guide-widget .pg-input:focus{outline:3px solid #111827;outline-offset:2px;box-shadow:0 0 0 2px #fff}
#patient-guide-widget .pg-launcher{position:fixed;right:20px;bottom:20px;width:56px;height:56px;padding:0;border:0;border-radius:50%;background:#0b5cad;color:#fff;cursor:pointer;display:flex;align-items:center;justify-content:center;box-shadow:0 4px 14px rgba(0,0,0,.28)}
#patient-guide-widget .pg-launcher:hover{background:#084a8c}
#patient-guide-widget .pg-launcher svg{width:28px;height:28px;fill:currentColor}
#patient-guide-widget .pg-panel{position:fixed;right:20px;bottom:88px;width:370px;max-width:calc(100vw - 40px);height:560px;max-height:calc(100vh - 108px);display:flex;flex-direction:column;background:#fff;border:1px solid #c7ced8;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);overflow:hidden}
#patient-guide-widget[dir="rtl"] .pg-launcher{right:auto;left:20px}
#patient-guide-widget[dir="rtl"] .pg-panel{right:auto;left:20px}
#patient-guide-widget .pg-header{display:flex;align-items:center;gap:8px;padding:10px 10px 10px 16px;background:#0b5cad;color:#fff}
#patient-guide-widget[dir="rtl"] .pg-header{padding:10px 16px 10px 10px}
#patient-guide-widget .pg-title{flex:1;font-size:16px;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
#patient-guide-widget .pg-close{width:36px;height:36px;padding:0;border:0;border-radius:6px;background:transparent;color:#fff;cursor:pointer;display:flex;align-items:center;justify-content:center}
#patient-guide-widget .pg-close:hover{background:rgba(255,255,255,.18)}
#patient-guide-widget .pg-close:focus-visible{outline-color:#fff;box-shadow:0 0 0 2px #0b5cad}
#patient-guide-widget .pg-close svg{width:20px;height:20px;fill:currentColor}
#patient-guide-widget .pg-notice{padding:8px 16px;background:#fff3cd;color:#4d3800;border-bottom:1px solid #e6d28a;font-size:14px}
#patient-guide-widget .pg-log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:10px;background:#fff}
#patient-guide-widget .pg-entry{display:flex;flex-direction:column;max-width:85%}
#patient-guide-widget .pg-entry-user{align-self:flex-end;align-items:flex-end}
#patient-guide-widget .pg-entry-bot,#patient-guide-widget .pg-entry-coordinator{align-self:flex-start;align-items:flex-start}
#patient-guide-widget .pg-label{font-size:12px;color:#4b5563;margin:0 4px 2px}
#patient-guide-widget .pg-msg{padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere;word-break:normal}
#patient-guide-widget .pg-user{background:#0b5cad;color:#fff}
#patient-guide-widget .pg-bot{background:#eef1f5;color:#1b1f24}
#patient-guide-widget .pg-coordinator{background:#fdf0e1;color:#3d2a00;border-inline-start:4px solid #a34f00}
#patient-guide-widget .pg-entry-coordinator .pg-label{color:#8a4200;font-weight:600}
#patient-guide-widget .pg-buttons{display:flex;flex-wrap:wrap;gap:6px;align-self:flex-start;max-width:100%}
#patient-guide-widget .pg-button{padding:6px 12px;border:1px solid #0b5cad;border-radius:16px;background:#fff;color:#0b4f94;cursor:pointer;text-align:start}
#patient-guide-widget .pg-button:hover{background:#e8f1fb}
#patient-guide-widget .pg-typing{padding:4px 16px 6px;font-size:13px;color:#4b5563;font-style:italic}
#patient-guide-widget .pg-form{display:flex;gap:8px;padding:10px;border-top:1px solid #d6dbe2;background:#fff}
#patient-guide-widget .pg-input{flex:1;min-width:0;padding:9px 12px;border:1px solid #6b7280;border-radius:8px;background:#fff;color:#1b1f24}
#patient-guide-widget .pg-input::placeholder{color:#5f6670;opacity:1}
#patient-guide-widget .pg-send{padding:9px 14px;border:0;border-radius:8px;background:#0b5cad;color:#fff;font-weight:600;cursor:pointer}
#patient-guide-widget .pg-send:hover{background:#084a8c}
#patient-guide-widget .pg-visually-hidden{position:absolute!important;width:1px!important;height:1px!important;padding:0!important;margin:-1px!important;overflow:hidden!important;clip:rect(0,0,0,0)!important;white-space:nowrap!important;border:0!important}
@media (max-width:480px){
#patient-guide-widget .pg-panel,#patient-guide-widget[dir="rtl"] .pg-panel{left:0;right:0;top:0;bottom:0;width:100%;max-width:100%;height:100%;max-height:100%;border:0;border-radius:0;z-index:1}
}
@media (prefers-reduced-motion:no-preference){
#patient-guide-widget .pg-launcher{transition:background-color .15s}
}
@media (forced-colors:active){
#patient-guide-widget .pg-msg,#patient-guide-widget .pg-panel,#patient-guide-widget .pg-launcher{border:1px solid CanvasText}
}
`;

// Injected once even if the script tag is included twice.
export function injectStyles(doc) {
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  (doc.head || doc.documentElement).appendChild(style);
}
