export default function Home() {
  return (
    <main>
      <h1>Sightline</h1>
      <p>Real-time web analytics.</p>
    </main>
  );
}
