// What the Telegram clients put on `window` for a Mini App (telegram-web-app.js is not
// loaded: the page works offline); only `tsconfig.static.json` reads this file.
interface Window {
  Telegram?: { WebApp?: { initData?: string } };
  TelegramWebviewProxy?: { postEvent(eventType: string, eventData: string): void };
}
interface External {
  notify?(message: string): void;
}
