// Entry point: Pico's styles, the console's few own rules, the app.
import { render } from 'preact';
import '@picocss/pico/css/pico.min.css';
import './console.css';
import { App } from './app';

render(<App />, document.getElementById('app')!);
